# Drawn by the replicate harness; run `gnuplot error-vs-tasks-true.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Error on new tasks (T_True) against the number of pretraining tasks"
set xlabel "number of pretraining tasks M"
set ylabel "MSE / D vs noiseless target"
set grid
set key outside right top
set logscale x
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'error-vs-tasks-true.png'
plot 'error-vs-tasks-true.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "Transformer (PT)", \
     'error-vs-tasks-true.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "dMMSE (Bayes for the pool)", \
     'error-vs-tasks-true.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "Ridge (Bayes for N(0, I))", \
     0.49055224585579804 with lines dt 2 lc rgb 'gray40' title "PT, M = ∞"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'error-vs-tasks-true.svg'
plot 'error-vs-tasks-true.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "Transformer (PT)", \
     'error-vs-tasks-true.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "dMMSE (Bayes for the pool)", \
     'error-vs-tasks-true.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "Ridge (Bayes for N(0, I))", \
     0.49055224585579804 with lines dt 2 lc rgb 'gray40' title "PT, M = ∞"
unset output
