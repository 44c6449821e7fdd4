# Drawn by the replicate harness; run `gnuplot distance-vs-tasks.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Distance of the PT to the two Bayes predictors"
set xlabel "number of pretraining tasks M"
set ylabel "Δ (mean squared difference / D)"
set grid
set key outside right top
set logscale x
set logscale y
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'distance-vs-tasks.png'
plot 'distance-vs-tasks.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "Δ True(PT, Ridge)", \
     'distance-vs-tasks.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "Δ Pretrain(PT, dMMSE)", \
     0.1035841034524559 with lines dt 2 lc rgb 'gray40' title "Δ True(PT, Ridge) at M = ∞"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'distance-vs-tasks.svg'
plot 'distance-vs-tasks.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "Δ True(PT, Ridge)", \
     'distance-vs-tasks.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "Δ Pretrain(PT, dMMSE)", \
     0.1035841034524559 with lines dt 2 lc rgb 'gray40' title "Δ True(PT, Ridge) at M = ∞"
unset output
