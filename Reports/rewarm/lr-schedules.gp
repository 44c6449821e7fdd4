# Drawn by the replicate harness; run `gnuplot lr-schedules.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Learning-rate schedules of the continual phase"
set xlabel "continual step"
set ylabel "learning rate"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'lr-schedules.png'
plot 'lr-schedules.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "const", \
     'lr-schedules.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "lr0.5", \
     'lr-schedules.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "lr1", \
     'lr-schedules.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "lr2", \
     'lr-schedules.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "wu0", \
     'lr-schedules.dat' index 5 using 1:2:3 with yerrorlines lc 6 pt 6 title "wu2"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'lr-schedules.svg'
plot 'lr-schedules.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "const", \
     'lr-schedules.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "lr0.5", \
     'lr-schedules.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "lr1", \
     'lr-schedules.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "lr2", \
     'lr-schedules.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "wu0", \
     'lr-schedules.dat' index 5 using 1:2:3 with yerrorlines lc 6 pt 6 title "wu2"
unset output
